"""admitcheck: does this applicant meet this program's requirements, and what is missing?"""

__version__ = "0.1.0"
