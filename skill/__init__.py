"""Cramp Relief: an Alexa custom-skill backend that gives relief first for night-time cramps."""

from skill.app import create_app

__all__ = ["create_app"]
