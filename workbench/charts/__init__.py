"""Plotly figures built from plain values (no Streamlit, no database)."""
