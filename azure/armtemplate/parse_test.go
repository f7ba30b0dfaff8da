package armtemplate

import (
	"errors"
	"strings"
	"testing"
)

func TestIsExpression(t *testing.T) {
	tests := []struct {
		in      string
		isExpr  bool
		literal string
	}{
		{"[parameters('a')]", true, ""},
		{"[[parameters('a')]", false, "[parameters('a')]"}, // "[[" escapes a literal "["
		{"plain", false, "plain"},
		{"[not closed", false, "[not closed"},
		{"ends]", false, "ends]"},
		{" [x()]", false, " [x()]"}, // an expression starts at the first character
		{"[]", true, ""},
	}
	for _, tt := range tests {
		isExpr, lit := isExpression(tt.in)
		if isExpr != tt.isExpr || lit != tt.literal {
			t.Errorf("isExpression(%q) = %v, %q; want %v, %q", tt.in, isExpr, lit, tt.isExpr, tt.literal)
		}
	}
}

func TestParseRendersCanonically(t *testing.T) {
	tests := []struct{ in, want string }{
		{"[parameters('a')]", "parameters('a')"},
		{"[  concat( 'a' , 'b' ) ]", "concat('a', 'b')"},
		{"[reference(variables('fw')).ipConfigurations[0].properties.privateIPAddress]", "reference(variables('fw')).ipConfigurations[0].properties.privateIPAddress"},
		{"[format('{0}''s', 'it')]", "format('{0}''s', 'it')"}, // '' escapes a quote
		{"[add(-1, 42)]", "add(-1, 42)"},
		{"[variables('m')[parameters('k')]['x']]", "variables('m')[parameters('k')]['x']"},
		{"[ns.fn('a')]", "ns.fn('a')"},
		{"[(parameters('a'))]", "parameters('a')"},
		{"[utcNow()]", "utcNow()"},
	}
	for _, tt := range tests {
		n, err := parseExpression(tt.in)
		if err != nil {
			t.Errorf("parseExpression(%q): %v", tt.in, err)
			continue
		}
		if got := render(n); got != tt.want {
			t.Errorf("parseExpression(%q) renders %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseErrorsQuoteTheExpressionAndOffset(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"[concat('a', ]", 13, "expected a value"},
		{"[concat('a']", 11, `expected ")", found end of expression`},
		{"[parameters('a)]", 12, "string literal is not closed"},
		{"[parameters]", 11, `expected "(" after function name "parameters"`},
		{"[a().]", 5, "expected a property name"},
		{"[a() b()]", 5, "after the expression"},
		{"[add(1.5, 2)]", 5, "decimal numbers"},
		{"[a(#)]", 3, "unexpected character '#'"},
		{"[]", 1, "expected a value, found end of expression"},
	}
	for _, tt := range tests {
		_, err := parseExpression(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("parseExpression(%q) = %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Offset != tt.offset || !strings.Contains(se.Msg, tt.msg) || se.Expr != tt.in {
			t.Errorf("parseExpression(%q) error = %q at %d, want %q at %d", tt.in, se.Msg, se.Offset, tt.msg, tt.offset)
		}
		if !strings.Contains(err.Error(), `"`+strings.ReplaceAll(tt.in, `"`, `\"`)+`"`) {
			t.Errorf("error %q does not quote the expression", err)
		}
	}
}

func TestParseRejectsDeepNesting(t *testing.T) {
	in := "[" + strings.Repeat("a(", 1000) + strings.Repeat(")", 1000) + "]"
	if _, err := parseExpression(in); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Fatalf("parseExpression(1000 nested calls) = %v, want a nesting error", err)
	}
}
