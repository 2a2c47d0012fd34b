"""The HTTP side of the app, served by st.App beside the dashboard from the same process and port."""
