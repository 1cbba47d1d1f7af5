"""Conversation logic below the handlers: the turn, session state, routines, tips and resume.

Handlers call these services with the `Turn` and speak the `Answer` they give back; nothing here
builds a response or knows about handlers.
"""
