"""The web server: data APIs, the console and dashboards (FastAPI + Uvicorn). No business logic."""
