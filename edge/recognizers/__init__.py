"""Recognizers: plug-ins that find private spans, behind one interface."""
