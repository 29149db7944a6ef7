"""Shared basics every layer may use: errors, atomic writes, light data types, configuration."""
