"""`batch`: the pipeline (chunks, worker pool), one writer per output format, and the
command's shell (output file, progress, tally)."""
