package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

func versionCommand() *command {
	return &command{
		name:     "version",
		summary:  "print the version of vnetpath and of Go it was built with",
		synopsis: "",
		about: "Prints the module version (\"(devel)\" and the commit when built from a checkout)\n" +
			"and the Go version. 'vnetpath --version' does the same.",
		examples: [][2]string{
			{"the version of an installed binary", "vnetpath version"},
			{"the same, as a flag", "vnetpath --version"},
		},
		run: func(c *command, args []string, e env) int {
			fs := newFlagSet(c, e)
			pos, rc := fs.parse(args)
			if rc >= 0 {
				return rc
			}
			if len(pos) > 0 {
				return fs.usageError("unexpected argument %q", pos[0])
			}
			return writeVersion(e.stdout)
		},
	}
}

func writeVersion(w io.Writer) int {
	bi, ok := debug.ReadBuildInfo()
	fmt.Fprintln(w, versionString(bi, ok, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH))
	return exitOK
}

// versionString is "vnetpath VERSION [COMMIT[, modified]] GO OS/ARCH":
// the module version go install records ("v1.2.0"), or "(devel)" with the
// VCS revision and time when built from a checkout.
func versionString(bi *debug.BuildInfo, ok bool, goVersion, platform string) string {
	v := "(devel)"
	var rev, when, modified string
	if ok && bi != nil {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = ", modified"
				}
			}
		}
	}
	out := "vnetpath " + v
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		out += " (commit " + rev
		if when != "" {
			out += " of " + when
		}
		out += modified + ")"
	}
	return out + ", " + goVersion + " " + platform
}
