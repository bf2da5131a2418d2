#!/usr/bin/env python3
"""Regenerates xds-type-registry.json: the protobuf message types istiod can resolve in an EnvoyFilter patch
(`typed_config` "@type") per Istio release.

istiod resolves type URLs against the Go protobuf registry of its binary; the packages it links for that purpose are the
imports of pkg/config/xds/filter_types.gen.go at each tag (plus what they import). This script maps each imported Go
package to its .proto directory (envoyproxy/data-plane-api for go-control-plane, istio/api or istio/istio for Istio's own
filters), follows `import` statements transitively, and records every message (nested ones as Outer.Inner).
Message lists are the union over three data-plane-api snapshots (2020-05, 2021-04, newest), so a package keeps the
messages it had when that Istio release vendored it.

usage: extract_xds_types.py <istio git> <istio/api git> <data-plane-api git> > xds-type-registry.json
"""
import json, re, subprocess, sys

DPA_SNAPSHOTS = ['98dcc622d33097e81fc3a8786a74c0d009b09b28', '3a6f986af2c3d04b618d0495c16fd6d5df25556c', 'HEAD']
# Well-known types every Go protobuf binary registers, and the TypedStruct wrappers go-control-plane depends on.
ALWAYS = {
    'google.protobuf': ['Any', 'BoolValue', 'BytesValue', 'DoubleValue', 'Duration', 'Empty', 'FieldMask', 'FloatValue',
                        'Int32Value', 'Int64Value', 'ListValue', 'StringValue', 'Struct', 'Timestamp', 'UInt32Value',
                        'UInt64Value', 'Value'],
    'udpa.type.v1': ['TypedStruct'],
    'xds.type.v3': ['TypedStruct'],
}


def git(gitdir, *args, check=True):
    r = subprocess.run(['git', '--git-dir', gitdir, *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(r.stderr)
    return r.stdout


def messages(text):
    names, stack, depth = [], [], 0
    for token in re.finditer(r'\b(message|enum|oneof|service|extend)\s+(\w+)\s*\{|[{}]', re.sub(r'//[^\n]*', '', text)):
        if token.group(1) == 'message':
            stack.append((token.group(2), depth))
            names.append('.'.join(n for n, _ in stack))
            depth += 1
        elif token.group(1):
            stack.append((None, depth))
            depth += 1
        elif token.group(0) == '{':
            depth += 1
        else:
            depth -= 1
            while stack and stack[-1][1] >= depth:
                stack.pop()
    return [n for n in names if 'None' not in n]


class ProtoTree:
    """All .proto files of one source (dir -> [(package, messages, imports)])."""

    def __init__(self, gitdir, commits, prefix=''):
        self.dirs = {}
        for commit in commits:
            files = [f for f in git(gitdir, 'ls-tree', '-r', '--name-only', commit).split() if f.endswith('.proto') and f.startswith(prefix)]
            for f in files:
                text = git(gitdir, 'show', f'{commit}:{f}')
                pkg = re.search(r'^package\s+([\w.]+)\s*;', text, re.M)
                if not pkg:
                    continue
                d = f[len(prefix):].rsplit('/', 1)[0]
                entry = self.dirs.setdefault(d, {'package': pkg.group(1), 'messages': set(), 'imports': set(), 'frozen': False})
                entry['frozen'] |= 'package_version_status = FROZEN' in text
                entry['messages'].update(messages(text))
                entry['imports'].update(i.rsplit('/', 1)[0] for i in re.findall(r'^import\s+(?:public\s+)?"([^"]+)"', text, re.M))


def main():
    istio, istio_api, dpa = sys.argv[1:4]
    envoy = ProtoTree(dpa, DPA_SNAPSHOTS)
    istio_api_tree = ProtoTree(istio_api, ['HEAD'])
    tags = [t for t in git(istio, 'tag').split() if re.fullmatch(r'1\.(\d+)\.\d+', t) and 6 <= int(t.split('.')[1]) <= 28]
    tags.sort(key=lambda t: tuple(map(int, t.split('.'))))
    istio_trees = {}
    releases, all_packages, frozen = [], {}, set()
    for tag in tags:
        gen = git(istio, 'show', f'{tag}:pkg/config/xds/filter_types.gen.go', check=False)
        if not gen:
            continue  # 1.6.0 predates the file; a lookup for it uses the first release listed.
        imports = re.findall(r'_ "([^"]+)"', gen)
        pending, seen = [], set()
        for imp in imports:
            if imp.startswith('github.com/envoyproxy/go-control-plane/'):
                pending.append(('envoy', imp[len('github.com/envoyproxy/go-control-plane/'):]))
            elif imp.startswith('istio.io/api/'):
                pending.append(('istio-api', imp[len('istio.io/api/'):]))
            elif imp.startswith('istio.io/istio/pkg/'):
                pending.append(('istio', imp[len('istio.io/istio/pkg/'):]))
        packages = set(ALWAYS)
        while pending:
            source, d = pending.pop()
            if (source, d) in seen:
                continue
            seen.add((source, d))
            if source == 'istio':
                if tag not in istio_trees:
                    istio_trees[tag] = ProtoTree(istio, [tag], 'pkg/')
                tree = istio_trees[tag]
            else:
                tree = envoy if source == 'envoy' else istio_api_tree
            entry = tree.dirs.get(d)
            if entry is None:
                continue
            packages.add(entry['package'])
            if entry['frozen']:
                frozen.add(entry['package'])
            all_packages.setdefault(entry['package'], set()).update(entry['messages'])
            for i in entry['imports']:
                if i.startswith('envoy/'):
                    pending.append(('envoy' if i in envoy.dirs else source, i))
        packages = sorted(packages)
        if releases and releases[-1]['packages'] == packages:
            releases[-1]['tags'].append(tag)
        else:
            releases.append({'tags': [tag], 'packages': packages})
    for pkg, names in ALWAYS.items():
        all_packages.setdefault(pkg, set()).update(names)
    names = sorted(all_packages)
    for r in releases:
        r['packages'] = [names.index(p) for p in r['packages']]
    out = {
        'about': 'Protobuf message types istiod resolves in EnvoyFilter patches, per Istio release: packages imported by '
                 'pkg/config/xds/filter_types.gen.go at each tag (transitively), messages from envoyproxy/data-plane-api, '
                 'istio/api and istio/istio protos; frozen: packages annotated udpa package_version_status FROZEN. A release lists indexes into packages. Generated by extract_xds_types.py.',
        'packages': names,
        'releases': releases,
        'messages': [sorted(all_packages[p]) for p in names],
        'frozen': sorted(names.index(p) for p in frozen),
    }
    json.dump(out, sys.stdout, separators=(',', ':'))
    sys.stdout.write('\n')


main()
