"""Reading model files safely, with a position for every value."""
