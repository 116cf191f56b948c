"""Rebuild data/taxonomy/words.txt: the English words a typing slip is never read as.

The taxonomies correct typing slips ("Scinece" -> science) only in words that are not
words already: a real word ("multivariable", "interval", "comparative") is never turned
into the vocabulary word it is a letter or two from ("multivariate", "internal",
"cooperative"). This script writes that word list; admitcheck only reads it, so the
package needed here is a build tool, not a dependency:

    pip install pyspellchecker==0.9.1        # MIT; its English list (OpenSubtitles
    python bench/wordlist.py                 # frequencies, cleaned, plus dictionary words)

The list holds, normalised as the taxonomies normalise a text (folded, a final "s" of long
words dropped), every alphabetic word of at least `TYPO_MIN_LETTERS` letters (the only ones
a correction may touch) of pyspellchecker's English list, with British -ise spellings of its
-ize words, and `COURSE_WORDS`: words of real course titles that list lacks.
"""

from __future__ import annotations

import gzip
import importlib.resources
import json
import re
from pathlib import Path

from admitcheck.taxonomy import TYPO_MIN_LETTERS, tokens

OUT = Path(__file__).resolve().parents[1] / "data" / "taxonomy" / "words.txt"
SOURCE = "pyspellchecker 0.9.1 (MIT), spellchecker/resources/en.json.gz"

# Words of ordinary course titles (transcripts, catalogues) that the English list lacks.
COURSE_WORDS = """
multivariable multivariate multicore multithreaded multiagent multiscale multiphysics
multimedia microcontroller microcontrollers microfabrication microfluidics microservices
cybersecurity dataset datasets biostatistics biostatistical bioinformatics cheminformatics
geoinformatics hydroinformatics geospatial geostatistics geostatistical geotechnical
geomechanics geovisualization petrophysics chemometrics nanoscale nanomaterials
nanoelectronics nanotechnology metamaterials biomaterials bioprocess bioprocessing
bioinstrumentation biosensors biosignal biosignals neuroengineering neuroimaging
telemedicine mechatronics thermofluids aeroelasticity electroceramics spintronics
plasmonics radiophysics ecohydrology agroecology agroforestry middleware blockchain
cryptocurrency steganography combinatorics metaheuristics semiparametric nonparametric
discretization linearization virtualization parallelization frontend backend fullstack
smartphone electromagnetics electromechanics electrotechnology optoelectronics
"""

_IZE = re.compile(r"iz(e|es|ed|ing|ation|ations|er|ers)$")


def english_words() -> set[str]:
    resource = importlib.resources.files("spellchecker") / "resources" / "en.json.gz"
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        frequencies: dict[str, int] = json.load(text)
    words = set(frequencies) | set(COURSE_WORDS.split())
    words |= {_IZE.sub(lambda m: "is" + m.group(1), w) for w in words if _IZE.search(w)}
    return words


def normalised(words: set[str]) -> list[str]:
    found = set()
    for word in words:
        parts = tokens(word)
        if len(parts) == 1 and parts[0].isalpha() and len(parts[0]) >= TYPO_MIN_LETTERS:
            found.add(parts[0])
    return sorted(found)


def main() -> None:
    words = normalised(english_words())
    header = [
        "# English words a typing slip is never read as (data/taxonomy/README.md, step 7).",
        f"# Built by bench/wordlist.py from {SOURCE}",
        "# with British -ise spellings and the course-title words of bench/wordlist.py;",
        f"# normalised as the taxonomies normalise a text; {TYPO_MIN_LETTERS} letters or more.",
        f"# {len(words)} words, one a line, after the first blank line.",
    ]
    OUT.write_text("\n".join(header) + "\n\n" + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(words)} words")


if __name__ == "__main__":
    main()
