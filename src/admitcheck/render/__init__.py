"""Reports -> text. Every function here returns; none prints."""
