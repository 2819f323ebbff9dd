"""Code that runs inside the jail, on the runtime's interpreter: stdlib only, Python >= 3.11."""
