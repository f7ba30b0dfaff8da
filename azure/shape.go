package azure

import (
	"path"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/internal/jsonscan"
	"github.com/vnetpath/vnetpath/topology"
)

// ManifestFormat is the "format" of the manifest that `vnetpath collect`
// writes beside a snapshot (collect.ManifestFile). A file holding an object
// with this format is not ARM resources: the loader reads nothing from it.
const ManifestFormat = "vnetpath-collect-manifest/v1"

// splitFile finds the resources in one file, whatever its shape (SPEC §2): a
// JSON array of resources, {"value": [...]}, {"data": [...]}, a single
// resource, or a REST API example whose responses."200".body is the
// resource. It checks that the whole file is well-formed JSON; any problem
// there is a file-level error. A well-formed file that holds no resources (a
// deployment template, a Terraform plan, package.json, ...) is set aside
// with a warning saying what it looks like.
func splitFile(fi int, f input) ([]element, *topology.Finding, error) {
	s := &scanner{data: f.data}
	if len(s.data) >= 3 && s.data[0] == 0xEF && s.data[1] == 0xBB && s.data[2] == 0xBF {
		s.pos = 3 // a UTF-8 byte order mark, as PowerShell writes
	}
	fail := func(msg string) error {
		return &topology.Finding{File: f.name, Msg: msg, Fatal: true}
	}
	syntax := func(err *jsonscan.Error) error {
		return fail("not valid JSON: " + position(f.data, err.Off) + ": " + syntaxMsg(err))
	}
	var out []element
	note := ""
	switch c := s.peek(); c {
	case 0:
		return nil, nil, fail("file is empty")
	case '[':
		els, err := s.arrayElements(fi, "$")
		if err != nil {
			return nil, nil, syntax(err)
		}
		out = els
	case '{':
		els, msg, err := s.objectShape(fi, f.name)
		if err != nil {
			return nil, nil, syntax(err)
		}
		out, note = els, msg
	default:
		if err := s.skip(); err != nil {
			return nil, nil, syntax(err)
		}
		note = "file holds " + jsonscan.Kind(c) + ", not ARM resources (an array, an object with \"value\" or \"data\", or a resource)"
	}
	if s.peek() != 0 {
		return nil, nil, fail("not valid JSON: " + position(f.data, s.pos) + ": data after the top-level value")
	}
	if note != "" {
		return nil, &topology.Finding{File: f.name, Msg: note + "; file set aside"}, nil
	}
	return out, nil, nil
}

// arrayElements consumes an array and returns its elements, with paths
// prefix[0], prefix[1], ...
func (s *scanner) arrayElements(fi int, prefix string) ([]element, *jsonscan.Error) {
	var out []element
	err := s.elements(func(i int) *jsonscan.Error {
		e, err := s.element(fi, prefix+"["+strconv.Itoa(i)+"]")
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// element consumes one resource and returns it with its top-level id and
// type, so that the decoding stage knows the model type before it starts.
func (s *scanner) element(fi int, path string) (element, *jsonscan.Error) {
	s.ws()
	e := element{file: fi, start: s.pos, path: path, kind: s.peek()}
	if e.kind != '{' {
		err := s.skip()
		e.end = s.pos
		return e, err
	}
	err := s.objectKeys(func(key []byte, esc bool) *jsonscan.Error {
		k := string(key)
		if esc {
			k = unescape(key)
		}
		isID, isType := strings.EqualFold(k, "id"), strings.EqualFold(k, "type")
		if !isID && !isType {
			return s.skip()
		}
		c := s.peek()
		if c != '"' {
			if c != 'n' {
				if isID {
					e.badID = c
				} else {
					e.badType = c
				}
			}
			return s.skip()
		}
		v, err := s.str()
		if isID {
			e.id = strings.TrimSpace(v)
		} else {
			e.typ = strings.TrimSpace(v)
		}
		return err
	})
	e.end = s.pos
	return e, err
}

// objectShape consumes a top-level object and returns the resources it
// holds, or a message saying why it holds none and what it looks like.
func (s *scanner) objectShape(fi int, name string) ([]element, string, *jsonscan.Error) {
	start := s.pos
	var (
		isResource bool
		list       []element
		listKey    string
		listKind   byte
		responses  = -1
		manifest   bool
		schema     string
		keys       = map[string]bool{}
	)
	err := s.objectKeys(func(key []byte, esc bool) *jsonscan.Error {
		k := string(key)
		if esc {
			k = unescape(key)
		}
		switch k {
		case "id", "type", "ID", "Id", "Type":
			isResource = true
		case "value", "data":
			if listKey != "" {
				break
			}
			listKey, listKind = k, s.peek()
			if listKind == '[' {
				els, err := s.arrayElements(fi, "$."+k)
				list = els
				return err
			}
		case "responses":
			responses = s.pos
		case "format":
			if s.peek() == '"' {
				v, err := s.str()
				manifest = manifest || v == ManifestFormat
				return err
			}
		case "$schema":
			if s.peek() == '"' {
				v, err := s.str()
				schema = v
				return err
			}
		case "resources", "format_version", "planned_values", "terraform_version", "dependencies", "devDependencies", "scripts", "name", "version":
			keys[k] = true
		}
		return s.skip()
	})
	if err != nil {
		return nil, "", err
	}
	end := s.pos
	switch {
	case manifest && !isResource && listKey == "":
		return nil, "", nil
	case isResource:
		s.pos, s.depth = start, 0
		e, err := s.element(fi, "$")
		return []element{e}, "", err
	case listKey != "" && listKind == '[':
		return list, "", nil
	case listKey != "":
		return nil, "\"" + listKey + "\" holds " + jsonscan.Kind(listKind) + ", not an array of resources", nil
	case responses >= 0:
		el, msg := s.exampleBody(fi, responses)
		s.pos = end
		if msg != "" {
			return nil, msg, nil
		}
		return []element{el}, "", nil
	}
	return nil, notResources(name, schema, keys), nil
}

// notResources says what a top-level object without resources looks like.
func notResources(name, schema string, keys map[string]bool) string {
	schema = strings.ToLower(schema)
	switch {
	case strings.Contains(schema, "deploymenttemplate.json") || keys["resources"] && schema != "":
		return "file is an ARM deployment template, not exported resources: pass it with --template"
	case strings.Contains(schema, "deploymentparameters.json"):
		return "file is an ARM deployment parameters file, not exported resources: pass it with --parameters beside its template"
	case keys["format_version"] && keys["planned_values"]:
		return "file is a Terraform plan (terraform show -json), not exported resources: pass it with --plan"
	case keys["terraform_version"] && keys["resources"]:
		return "file is a Terraform state file, not exported resources: export the estate with az (see the README) or pass a plan with --plan"
	case strings.EqualFold(path.Base(strings.ReplaceAll(name, "\\", "/")), "package.json") || keys["name"] && keys["version"] && (keys["dependencies"] || keys["devDependencies"] || keys["scripts"]):
		return "file is an npm package.json, not ARM resources"
	}
	return "file holds an object that is neither a resource (no \"id\" or \"type\") nor a list (no \"value\" or \"data\" array)"
}

// exampleBody finds responses."200".body (or "201") of a REST API example;
// the responses object starts at off.
func (s *scanner) exampleBody(fi, off int) (element, string) {
	for _, code := range []string{"200", "201"} {
		s.pos, s.depth = off, 1
		if s.peek() != '{' {
			break
		}
		if el, ok := s.member(code); ok {
			s.pos = el
			if s.peek() != '{' {
				continue
			}
			if b, ok := s.member("body"); ok {
				s.pos = b
				if s.peek() == '{' {
					e, _ := s.element(fi, `$.responses["`+code+`"].body`)
					return e, ""
				}
			}
		}
	}
	return element{}, "file holds a REST API example without a responses.\"200\".body resource"
}

// member returns the offset of the value of key in the (well-formed) object
// at the scanner's position.
func (s *scanner) member(key string) (int, bool) {
	at := -1
	_ = s.objectKeys(func(k []byte, esc bool) *jsonscan.Error {
		if at < 0 && strings.EqualFold(string(k), key) {
			at = s.pos
		}
		return s.skip()
	})
	return at, at >= 0
}
