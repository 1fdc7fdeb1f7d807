"""Import of messages from CSV and XLSX: check, preview, all-or-nothing load in the worker."""
