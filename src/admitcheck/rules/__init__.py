"""One pure function per requirement kind: (profile facts, rule, context) -> Check.

No I/O, no printing, no Rich. `admitcheck.evaluate` composes them into a report.
"""
