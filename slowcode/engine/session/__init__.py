"""A session from task to the last step: the workflow, the step loop, resume and recovery."""
