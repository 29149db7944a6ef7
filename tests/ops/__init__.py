"""Tests of the after-the-fact operations: provenance notes and their audit."""
