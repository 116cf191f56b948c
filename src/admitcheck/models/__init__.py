"""The documents admitcheck reads and writes, one module each: the applicant profile
(`profile`, with its test scores in `scores`), the rules (`program`) and the report
(`report`)."""
