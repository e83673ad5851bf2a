"""Reports: figures computed in SQL, their formats, charts and workbook, the report command, demo history."""
