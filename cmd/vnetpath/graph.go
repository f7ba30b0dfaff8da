package main

import "github.com/vnetpath/vnetpath/render"

func graphCommand() *command {
	return &command{
		name:     "graph",
		summary:  "draw the estate: VNets, subnets, peerings, firewalls, gateways, DNS",
		synopsis: "--snapshot PATH [--format dot|mermaid|json]",
		about: `Draws the estate of a snapshot: VNets (with their address spaces) holding
their subnets (prefixes, NSG, route table) and what is in them (firewalls,
gateways, appliances, private endpoints, DNS resolvers); peerings labelled
with their state and flags, in red when they do not carry traffic; NAT
gateways, private DNS zones and their links, forwarding rulesets, gateway
connections, and the workspaces private endpoints reach. Resources that are
referenced but not in the snapshot are drawn dashed.

dot is Graphviz (render it with: dot -Tsvg estate.dot > estate.svg),
mermaid a Mermaid flowchart, json the nodes and edges with their types and
ARM IDs.`,
		examples: [][2]string{
			{"the example estate as Graphviz",
				"vnetpath graph --snapshot examples/contoso"},
			{"as a Mermaid flowchart, for a Markdown page",
				"vnetpath graph --snapshot examples/contoso --format mermaid"},
			{"as nodes and edges, for another tool",
				"vnetpath graph --snapshot examples/contoso -o json"},
		},
		exit: "0 when the estate is drawn, 2 for usage or input errors.",
		run:  runGraph,
	}
}

func runGraph(c *command, args []string, e env) int {
	fs := newFlagSet(c, e)
	var in inputs
	in.register(fs, false)
	format := fs.format("dot", "dot", "mermaid", "json")
	pos, rc := fs.parse(args)
	if rc >= 0 {
		return rc
	}
	if len(pos) > 0 {
		return fs.usageError("unexpected argument %q", pos[0])
	}
	if err := in.check(); err != nil {
		return fs.usageError("%v", err)
	}
	eng, warnings, err := in.load(e.stdin)
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	printWarnings(e.stderr, warnings)
	g := render.Graph(eng.Snapshot())
	switch format.value {
	case "mermaid":
		err = g.Mermaid(e.stdout)
	case "json":
		err = g.JSON(e.stdout)
	default:
		err = g.Dot(e.stdout)
	}
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	return exitOK
}
