"""Live broadcasts: citizens' questions on the broadcast's page, picked in the admin, answered on
air or turned into cases afterwards (seed 000 p.2.4, p.3.4)."""
