#!/usr/bin/env python3
"""Checks that every #include "module/..." under src/ follows the layering in
tests/architecture/layers.txt (the format is described at the top of that file).

Prints one line per include the rules don't allow (file:line), per exception
that no longer matches a violation (stale), and per problem with the rules
file itself; exits 1 if there is any, 0 otherwise.

  python3 tests/architecture/check_layers.py            # the check
  python3 tests/architecture/check_layers.py --graph    # the module graph as found
  python3 tests/architecture/check_layers.py --root DIR --rules FILE

Standard library only; reads src/ and the rules file, changes nothing.
"""
import argparse
import collections
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
SOURCE_SUFFIXES = ('.h', '.hh', '.hpp', '.cc', '.cpp', '.inc')


class RulesError(Exception):
    pass


def read_rules(path, shown):
    """Returns (pseudo, rules, exceptions, problems):
    pseudo: {src-relative file: module}; rules: {module: set of allowed};
    exceptions: {(src/file, module): (rules line, reason)}."""
    logical = []  # (line number, text) with continuation lines joined
    with open(path, encoding='utf-8') as f:
        for number, raw in enumerate(f, 1):
            # An exception line keeps its '# reason'; elsewhere '#' starts a comment.
            text = raw.rstrip() if raw.startswith('src/') else raw.split('#', 1)[0].rstrip()
            if not text.strip():
                continue
            if raw[:1] in (' ', '\t') and logical:
                logical[-1] = (logical[-1][0], logical[-1][1] + ' ' + text.strip())
            else:
                logical.append((number, text.strip()))

    pseudo, rules, exceptions, problems = {}, {}, {}, []
    section = None
    for number, text in logical:
        where = '%s:%d' % (shown, number)
        if text.startswith('[') and text.endswith(']'):
            section = text[1:-1].strip()
            if section not in ('modules', 'rules', 'exceptions'):
                problems.append('%s: unknown section [%s]' % (where, section))
            continue
        if section == 'modules':
            name, sep, files = text.partition('=')
            if not sep or not name.strip() or not files.split():
                problems.append('%s: expected "NAME = FILE..."' % where)
                continue
            for f in files.split():
                if f in pseudo:
                    problems.append('%s: %s is already in module %s' % (where, f, pseudo[f]))
                pseudo[f] = name.strip()
        elif section == 'rules':
            name, sep, allowed = text.partition('->')
            name = name.strip()
            if not sep or not name:
                problems.append('%s: expected "NAME -> ALLOWED..."' % where)
                continue
            if name in rules:
                problems.append('%s: a second rule for %s' % (where, name))
            rules[name] = set(allowed.split())
        elif section == 'exceptions':
            body, _, reason = text.partition('#')
            source, sep, target = body.partition('->')
            source, target = source.strip(), target.strip()
            if not sep or not source.startswith('src/') or len(target.split()) != 1:
                problems.append('%s: expected "src/FILE -> MODULE  # reason"' % where)
                continue
            if not reason.strip():
                problems.append('%s: exception %s -> %s has no reason' % (where, source, target))
            if (source, target) in exceptions:
                problems.append('%s: %s -> %s is listed twice' % (where, source, target))
            exceptions[(source, target)] = (where, reason.strip())
        else:
            problems.append('%s: line outside a section' % where)
    return pseudo, rules, exceptions, problems


def module_of(rel, pseudo, folders):
    """The module of a path relative to src/: its pseudo-module, else the deepest
    folder module holding it, else None."""
    if rel in pseudo:
        return pseudo[rel]
    parts = rel.split('/')[:-1]
    for depth in range(len(parts), 0, -1):
        candidate = '/'.join(parts[:depth])
        if candidate in folders:
            return candidate
    return None


def find_cycle(rules):
    """A cycle in the allowed graph as a list of modules (first == last), or None:
    layers must form a DAG, whatever the exceptions."""
    state = {}  # module -> 1 while on the path, 2 when done

    def visit(module, path):
        state[module] = 1
        for other in sorted(rules.get(module, ())):
            if other == module or other not in rules:
                continue
            if state.get(other) == 1:
                return path[path.index(other):] + [other]
            if other not in state:
                found = visit(other, path + [other])
                if found:
                    return found
        state[module] = 2
        return None

    for module in sorted(rules):
        if module not in state:
            found = visit(module, [module])
            if found:
                return found
    return None


def source_files(src):
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(SOURCE_SUFFIXES):
                full = os.path.join(dirpath, name)
                yield os.path.relpath(full, src).replace(os.sep, '/')


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--root', default=os.path.normpath(os.path.join(here, '..', '..')),
                        help='the repository (default: two folders above this script)')
    parser.add_argument('--rules', default=os.path.join(here, 'layers.txt'))
    parser.add_argument('--graph', action='store_true',
                        help='print the module graph found in src/ (edge: number of includes) and exit')
    args = parser.parse_args()

    src = os.path.join(args.root, 'src')
    rules_path = os.path.relpath(args.rules, args.root)
    pseudo, rules, exceptions, problems = read_rules(args.rules, rules_path)
    pseudo_names = set(pseudo.values())
    folders = {name for name in rules if name not in pseudo_names}

    # The rules file itself: every name known, every pseudo-module file present.
    for name in sorted(pseudo_names - set(rules)):
        problems.append('%s: module %s has no line in [rules]' % (rules_path, name))
    for name in sorted(folders):
        if not os.path.isdir(os.path.join(src, name)):
            problems.append('%s: rule for %s, but src/%s is not a folder' % (rules_path, name, name))
    for name, allowed in sorted(rules.items()):
        for other in sorted(allowed - set(rules)):
            problems.append('%s: %s -> %s: no module %s' % (rules_path, name, other, other))
    for f in sorted(pseudo):
        if not os.path.isfile(os.path.join(src, f)):
            problems.append('%s: [modules] lists src/%s, which does not exist' % (rules_path, f))
    cycle = find_cycle(rules)
    if cycle:
        problems.append('%s: the rules allow a cycle: %s' % (rules_path, ' -> '.join(cycle)))
    for (source, target), (where, _) in sorted(exceptions.items()):
        if target not in rules:
            problems.append('%s: exception names no module %s' % (where, target))

    violations, used = [], set()
    graph = collections.Counter()
    for rel in source_files(src):
        module = module_of(rel, pseudo, folders)
        if module is None:
            problems.append('src/%s: in no module (add its folder to [rules] in %s)' % (rel, rules_path))
            continue
        with open(os.path.join(src, rel), encoding='utf-8', errors='replace') as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                included = os.path.normpath(m.group(1)).replace(os.sep, '/')
                if not os.path.isfile(os.path.join(src, included)):
                    sibling = os.path.normpath(os.path.join(os.path.dirname(rel), m.group(1))).replace(os.sep, '/')
                    if os.path.isfile(os.path.join(src, sibling)):
                        included = sibling
                    else:
                        problems.append('src/%s:%d: #include "%s" is not a file under src/' % (rel, number, m.group(1)))
                        continue
                target = module_of(included, pseudo, folders)
                if target is None:
                    problems.append('src/%s:%d: #include "%s" is in no module' % (rel, number, m.group(1)))
                    continue
                if target == module:
                    continue
                graph[(module, target)] += 1
                if target in rules.get(module, ()):
                    continue
                key = ('src/' + rel, target)
                if key in exceptions:
                    used.add(key)
                    continue
                violations.append('src/%s:%d: %s may not include %s (#include "%s")'
                                  % (rel, number, module, target, m.group(1)))

    if args.graph:
        for (a, b), n in sorted(graph.items()):
            print('%-20s -> %-20s %d' % (a, b, n))
        return 0

    stale = ['%s: stale exception %s -> %s: not a violation any more; delete the line'
             % (where, source, target)
             for (source, target), (where, _) in sorted(exceptions.items()) if (source, target) not in used]

    for message in problems + violations + stale:
        print(message)
    if problems or violations or stale:
        print('check_layers: %d violation(s), %d stale exception(s), %d other problem(s); see %s'
              % (len(violations), len(stale), len(problems), rules_path), file=sys.stderr)
        return 1
    print('check_layers: OK (%d known exception(s) in %s)' % (len(exceptions), rules_path))
    return 0


if __name__ == '__main__':
    sys.exit(main())
