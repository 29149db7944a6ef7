"""What the model is shown of the project: repository map, instructions, exclusions."""
