package topology

import "strings"

// Finding is a problem found in a snapshot: a malformed field, a dangling
// reference, a rule Azure would refuse. It names the resource, the file and
// the JSON path, and implements error.
type Finding struct {
	ID    string // resource ID ("" when the resource has none)
	File  string // snapshot file
	Path  string // JSON path of the offending field, e.g. "$[2].properties.routeTable.id"
	Msg   string // what is wrong
	Fatal bool   // an error (the resource was dropped) rather than a warning
}

// Error returns "FILE: ID: PATH: MSG", leaving out the parts that are not
// known.
func (f *Finding) Error() string {
	var parts []string
	if f.File != "" {
		parts = append(parts, f.File)
	}
	if f.ID != "" {
		parts = append(parts, f.ID)
	}
	if f.Path != "" {
		parts = append(parts, f.Path)
	}
	parts = append(parts, f.Msg)
	return strings.Join(parts, ": ")
}

// String is [Finding.Error].
func (f *Finding) String() string { return f.Error() }

func findingAt(m Meta, field, msg string, fatal bool) *Finding {
	p := m.Path
	if field != "" {
		if p == "" {
			p = "$"
		}
		p += field
	}
	return &Finding{ID: m.ID, File: m.File, Path: p, Msg: msg, Fatal: fatal}
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
