package topology

import "strings"

// Finding is a problem found in a snapshot: a malformed field, a rule Azure
// would refuse, overlapping prefixes. It names the resource, the file and
// the place, and implements error.
//
// The Builder knows resources, not JSON: its findings carry the resource's
// Path and the model field at fault in Field ("Prefixes[0]",
// "IPConfigs[1].Subnet", see [RefInfo]). The azure loader, which knows the
// ARM shape, turns Field into the JSON path of the field and clears it.
type Finding struct {
	ID    string // resource ID ("" when the resource has none)
	File  string // snapshot file
	Path  string // JSON path of the offending field (or of the resource, when Field is set), e.g. "$[2].properties.routeTable.id"
	Field string // the model field at fault, when Path does not name it yet
	Msg   string // what is wrong
	Fatal bool   // an error (the resource was dropped) rather than a warning
}

// Error returns "FILE: ID: PATH: FIELD: MSG", leaving out the parts that are
// not known.
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
	if f.Field != "" {
		parts = append(parts, f.Field)
	}
	parts = append(parts, f.Msg)
	return strings.Join(parts, ": ")
}

// String is [Finding.Error].
func (f *Finding) String() string { return f.Error() }

func findingAt(m Meta, field, msg string, fatal bool) *Finding {
	return &Finding{ID: m.ID, File: m.File, Path: m.Path, Field: field, Msg: msg, Fatal: fatal}
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
