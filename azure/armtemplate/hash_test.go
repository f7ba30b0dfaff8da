package armtemplate

import "testing"

// The expected values of uniqueString are Bicep's outputs for these inputs,
// as published with a public reimplementation of the function (a shell
// script checked against Bicep); guid() is the RFC 4122 version-5 UUID in
// ARM's namespace, here as Python's uuid.uuid5 computes it.

func TestUniqueStringMatchesAzure(t *testing.T) {
	tests := []struct {
		parts []string
		want  string
	}{
		{[]string{"test"}, "rbgf3xv4ufgzg"},
		{[]string{"hello", "world"}, "a7wkljktk6wne"},
		{[]string{"abc"}, "cgtzqvhu4i23s"},
		{[]string{"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg"}, "bmg7c6xu4tw46"},
		{[]string{"foo", "bar", "baz"}, "xzi4ioaxtmth4"},
	}
	for _, tt := range tests {
		if got := UniqueString(tt.parts...); got != tt.want {
			t.Errorf("UniqueString(%q) = %q, want %q", tt.parts, got, tt.want)
		}
	}
	// Arguments are joined with "-": these two are the same input.
	if UniqueString("a", "b") != UniqueString("a-b") {
		t.Error(`UniqueString("a", "b") != UniqueString("a-b")`)
	}
	// Every tail length (0-7 bytes after the 8-byte blocks) gives 13
	// base-32 characters.
	for n := range 17 {
		s := UniqueString(string(make([]byte, n)))
		if len(s) != 13 {
			t.Errorf("UniqueString(%d bytes) = %q, not 13 characters", n, s)
		}
	}
}

func TestGUIDIsVersion5InARMNamespace(t *testing.T) {
	tests := []struct {
		parts []string
		want  string
	}{
		{[]string{"a"}, "3703365d-5a9f-59b4-bca7-b9681389e4c1"},
		{[]string{"devcontributor", "x"}, "072cd270-66e6-55c8-8c07-96d6daf16859"},
		{[]string{"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/vnetpath", "vm1"}, "1a52b8c6-1615-587c-871a-a210ed816a93"},
	}
	for _, tt := range tests {
		if got := GUID(tt.parts...); got != tt.want {
			t.Errorf("GUID(%q) = %q, want %q", tt.parts, got, tt.want)
		}
	}
}
