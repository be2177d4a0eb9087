"""Scoping Workbench: plan and scope machine-learning projects, and remember every decision."""

__version__ = "0.1.0"
