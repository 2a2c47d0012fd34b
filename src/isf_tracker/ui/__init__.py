"""Streamlit-facing code: cached loading and the rendering of each page."""
