"""SQL models: loading, the reference DAG, selection and atomic materialization."""
