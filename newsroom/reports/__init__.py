"""Reports the press office sends upward: the monthly analysis of citizens' messages (seed 002
p.13, seed 003 p.13) and the surge alerts that cannot wait for it."""
