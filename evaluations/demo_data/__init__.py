"""A generated province for load and scale tests (manage.py generate_demo_data)."""
