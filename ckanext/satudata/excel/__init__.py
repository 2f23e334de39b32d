"""BPS-style Excel (XLSX) metadata templates, both ways: export (writing.py) and
all-or-nothing import (importing.py); the layout is data (schemas/excel_templates.yaml)."""
