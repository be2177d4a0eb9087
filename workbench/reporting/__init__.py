"""Reports and exports built from plain domain values (no Streamlit, no database)."""
