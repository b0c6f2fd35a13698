"""Shared Streamlit + Altair helpers for the pages: URL-bound inputs, the objective and
marginal chart, CSV export and number formatting. Imports optimizers, never pages."""
