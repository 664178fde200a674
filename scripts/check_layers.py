#!/usr/bin/env python3
"""Checks the include graph of src/ against the layering in docs/architecture.md.

The document holds the layers in a fenced block tagged `layers`, highest first, one layer
per line, folders of one layer separated by spaces. A file in src/<folder>/ may include
headers of its own folder and of any lower layer; never of a folder in its own layer or
above. The one exception is the test-only top folder `testing/` (shared test builders):
a test file anywhere (one whose file name contains "test") may include it.
Exit status 1 lists every include that breaks the rule.

  check_layers.py [REPO]     check the repository (default: the one this script is in)
  check_layers.py --self-test
"""
import pathlib
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"/]+)/[^"]+"', re.M)
SOURCE_SUFFIXES = {".h", ".cc", ".hpp", ".cpp"}
TEST_ONLY_FOLDER = "testing"  # may be included by any test file, whatever its layer


def read_layers(doc_text):
    """{folder: rank} from the ```layers block (rank 0 = lowest)."""
    match = re.search(r"^```layers\n(.*?)^```", doc_text, re.M | re.S)
    if not match:
        raise ValueError("docs/architecture.md has no ```layers block")
    rows = [line.split() for line in match.group(1).splitlines() if line.strip()]
    ranks = {}
    for rank, folders in enumerate(reversed(rows)):
        for folder in folders:
            if folder in ranks:
                raise ValueError(f"folder {folder} is listed twice in the layers block")
            ranks[folder] = rank
    return ranks


def violations(repo):
    repo = pathlib.Path(repo)
    ranks = read_layers((repo / "docs" / "architecture.md").read_text())
    problems = []
    src = repo / "src"
    for folder in sorted(p for p in src.iterdir() if p.is_dir()):
        if folder.name not in ranks:
            problems.append(f"src/{folder.name}/ is not in the layers of docs/architecture.md")
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES:
                continue
            text = path.read_text(errors="replace")
            for match in INCLUDE.finditer(text):
                target = match.group(1)
                if target == folder.name or target not in ranks:
                    continue  # own folder, or a library header such as "CLI/CLI.hpp"
                if target == TEST_ONLY_FOLDER and "test" in path.name:
                    continue  # test code of any folder may use the shared test builders
                if ranks[target] >= ranks[folder.name]:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{path.relative_to(repo)}:{line}: includes {target}/ "
                                    f"(layer {ranks[target]}) from {folder.name}/ (layer {ranks[folder.name]})")
    return problems


def self_test():
    """The check finds an upward and a sideways include, and accepts a clean tree."""
    doc = "# x\n```layers\ntesting\napp\nb c\nbase\n```\n"
    cases = {
        "clean": ({"b/x.h": '#include "base/y.h"\n', "app/m.cc": '#include "b/x.h"\n#include "c/z.h"\n'}, 0),
        "upward": ({"base/y.h": '#include "b/x.h"\n'}, 1),
        "sideways": ({"b/x.h": '#include "c/z.h"\n'}, 1),
        "unknown folder": ({"d/q.h": "\n"}, 1),
        "test file uses testing/": ({"base/y_test.cc": '#include "testing/builders.h"\n'}, 0),
        "production file uses testing/": ({"app/m.cc": '#include "testing/builders.h"\n'}, 1),
    }
    failed = 0
    for name, (files, expected) in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp)
            (root / "docs").mkdir()
            (root / "docs" / "architecture.md").write_text(doc)
            for folder in ("testing", "app", "b", "c", "base"):
                (root / "src" / folder).mkdir(parents=True)
            for rel, text in files.items():
                (root / "src" / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / "src" / rel).write_text(text)
            found = len(violations(root))
            ok = found == expected
            failed += not ok
            print(f"{'ok' if ok else 'FAIL'}: {name}: {found} violation(s), expected {expected}")
    return 1 if failed else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    repo = argv[1] if len(argv) > 1 else pathlib.Path(__file__).resolve().parent.parent
    problems = violations(repo)
    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} include(s) break the layering of docs/architecture.md")
        return 1
    print("check_layers: every include under src/ follows docs/architecture.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
