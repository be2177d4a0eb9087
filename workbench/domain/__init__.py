"""Pure domain rules: plain inputs in, plain results out; no database, no Streamlit, no plotly."""
