package render

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Width is the number of columns the text reports fit in.
const Width = 100

// runes returns the display width of s: one column per rune (vnetpath's
// marks ✓, ✗, →, · and … are all one column wide).
func runes(s string) int { return utf8.RuneCountInString(s) }

// wrap breaks s at spaces into lines of at most width columns, the first
// prefixed by first and the others by rest. A word longer than a line
// (an ARM ID, a long FQDN) is broken after a '/', '.', '-' or ',' where
// one falls, else where the line ends. Runs of spaces collapse; no line
// ends in a space.
func wrap(s string, width int, first, rest string) []string {
	var (
		lines []string
		line  strings.Builder
		n     int  // columns in line
		empty bool // line holds only its prefix
	)
	start := func(prefix string) {
		line.Reset()
		line.WriteString(prefix)
		n, empty = runes(prefix), true
	}
	flush := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
	}
	start(first)
	for _, word := range strings.Fields(s) {
		w := runes(word)
		switch {
		case !empty && n+1+w > width && (runes(rest)+w <= width || width-n-1 < 12):
			// The word goes on the next line, unless it fits on no line
			// and there is room to start cutting it here.
			flush()
			start(rest)
		case empty && n+w > width && runes(rest)+w <= width && strings.TrimSpace(line.String()) != "":
			// After a label, a word that fits on the next line goes there
			// whole rather than cut.
			flush()
			start(rest)
		}
		if !empty {
			line.WriteByte(' ')
			n++
		}
		for n+w > width && w > 1 {
			// The word does not fit even on a line of its own: cut it.
			room := max(width-n, 1)
			head, tail := cut(word, room)
			if head == "" { // nothing fits after the prefix: start afresh
				if empty {
					head, tail = hardCut(word, room)
				} else {
					flush()
					start(rest)
					continue
				}
			}
			line.WriteString(head)
			flush()
			start(rest)
			word, w = tail, runes(tail)
		}
		line.WriteString(word)
		n += w
		empty = false
	}
	if !empty || len(lines) == 0 {
		flush()
	}
	return lines
}

// cut splits word after the last break character ('/', '.', '-', ',')
// that leaves a head of at most room columns, preferring a '/'; head is
// "" when there is none.
func cut(word string, room int) (head, tail string) {
	best, slash, col := -1, -1, 0
	for i, r := range word {
		col++
		if col > room {
			break
		}
		switch r {
		case '/':
			slash = i + 1
			best = slash
		case '.', '-', ',':
			best = i + 1
		}
	}
	// Between the segments of a path rather than inside one, unless that
	// leaves most of the line empty.
	if slash > 0 && 2*slash >= best {
		best = slash
	}
	if best <= 0 || best >= len(word) {
		return "", word
	}
	return word[:best], word[best:]
}

// hardCut splits word after room columns.
func hardCut(word string, room int) (head, tail string) {
	col := 0
	for i := range word {
		if col == room {
			return word[:i], word[i:]
		}
		col++
	}
	return word, ""
}

// shellLines lays out the shell commands of cmd (one per line) for a
// terminal of width columns, each line prefixed by indent, so that what
// is printed still pastes into a POSIX shell as the same commands. Long
// commands continue on the next line, indented four more, after " \". A
// single word longer than a line (an ARM ID) is split with a backslash
// at the end of a line and goes on at the start of the next: the shell
// joins the two halves. Quoted words are never split.
func shellLines(cmd string, width int, indent string) []string {
	var out []string
	for c := range strings.SplitSeq(strings.TrimSpace(cmd), "\n") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, shellCommand(c, width, indent)...)
		}
	}
	return out
}

func shellCommand(cmd string, width int, indent string) []string {
	var (
		lines []string
		line  strings.Builder
		n     int
		empty bool
	)
	cont := indent + "    "
	start := func(prefix string) {
		line.Reset()
		line.WriteString(prefix)
		n, empty = runes(prefix), true
	}
	// newLine ends the line with " \" and goes on, indented.
	newLine := func() {
		line.WriteString(" \\")
		lines = append(lines, line.String())
		start(cont)
	}
	start(indent)
	for _, unit := range shellUnits(shellWords(cmd)) {
		// Two columns for the " \" that ends a line that goes on.
		if u := runes(strings.Join(unit, " ")); !empty && n+1+u+2 > width {
			newLine()
		}
		for _, word := range unit {
			w := runes(word)
			if !empty && n+1+w+2 > width && runes(cont)+w+2 <= width {
				newLine()
			}
			if !empty {
				line.WriteByte(' ')
				n++
			}
			if n+w+2 > width && !strings.ContainsAny(word, `'"\`) {
				// Split the word; each piece but the last ends in a
				// backslash and the next starts in column 0, so the shell
				// joins them.
				for n+w+2 > width {
					head, tail := cut(word, width-n-1)
					if head == "" {
						head, tail = hardCut(word, max(width-n-1, 1))
					}
					line.WriteString(head)
					line.WriteByte('\\')
					lines = append(lines, line.String())
					start("")
					word, w = tail, runes(tail)
				}
			}
			line.WriteString(word)
			n += w
			empty = false
		}
	}
	return append(lines, line.String())
}

// shellUnits groups an option with its value ("-g", "rg-hub"), which
// are kept on one line when they fit.
func shellUnits(words []string) [][]string {
	var out [][]string
	for i := 0; i < len(words); i++ {
		if strings.HasPrefix(words[i], "-") && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
			out = append(out, words[i:i+2])
			i++
			continue
		}
		out = append(out, words[i:i+1])
	}
	return out
}

// shellWords splits a command at unquoted spaces, keeping quotes and
// backslashes as written.
func shellWords(cmd string) []string {
	var (
		words []string
		cur   strings.Builder
		quote rune
		esc   bool
	)
	for _, r := range cmd {
		switch {
		case esc:
			esc = false
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' {
				esc = true
			}
		case r == '\\':
			esc = true
		case r == '\'' || r == '"':
			quote = r
		case r == ' ' || r == '\t':
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	return words
}

// Warnings writes warnings as the text renderers do, each "warning: ..."
// wrapped at [Width].
func Warnings(w io.Writer, warnings []string) error {
	ew := &errWriter{w: w}
	for _, wng := range warnings {
		for _, l := range wrap(wng, Width, "warning: ", "  ") {
			ew.printf("%s\n", l)
		}
	}
	return ew.err
}
