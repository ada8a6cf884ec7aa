"""HTTP glue shared by the functions: resolver factory, problem responses, route docs."""
