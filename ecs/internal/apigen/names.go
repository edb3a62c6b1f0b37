package main

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"unicode"
)

// initialisms are written in capitals in Go names, as Go style asks.
var initialisms = map[string]string{
	"Acm": "ACM", "Api": "API", "Arn": "ARN", "Arns": "ARNs", "Az": "AZ",
	"Cpu": "CPU", "Dns": "DNS", "Ebs": "EBS", "Ec2": "EC2", "Ecr": "ECR",
	"Ecs": "ECS", "Efs": "EFS", "Eni": "ENI", "Gpu": "GPU", "Http": "HTTP",
	"Iam": "IAM", "Id": "ID", "Ids": "IDs", "Ip": "IP", "Json": "JSON",
	"Kms": "KMS", "Os": "OS", "Ssm": "SSM", "Tcp": "TCP", "Tls": "TLS",
	"Ttl": "TTL", "Udp": "UDP", "Uri": "URI", "Url": "URL", "Vpc": "VPC",
}

// goName turns an API member name (lower camel case) into an exported Go
// field name: taskDefinitionArn becomes TaskDefinitionARN.
func goName(member string) string {
	var words []string
	start := 0
	r := []rune(member)
	for i := 1; i < len(r); i++ {
		if unicode.IsUpper(r[i]) && (unicode.IsLower(r[i-1]) || unicode.IsDigit(r[i-1])) {
			words = append(words, string(r[start:i]))
			start = i
		}
	}
	words = append(words, string(r[start:]))
	var b strings.Builder
	for _, w := range words {
		w = strings.ToUpper(w[:1]) + w[1:]
		if up, ok := initialisms[w]; ok {
			w = up
		}
		b.WriteString(w)
	}
	return b.String()
}

// enumWord turns an enum value into the suffix of its constant's name:
// MANAGED_INSTANCES becomes ManagedInstances, awsvpc Awsvpc, X86_64 X86_64.
func enumWord(v string) string {
	parts := strings.FieldsFunc(v, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var b strings.Builder
	for i, p := range parts {
		w := p
		if p == strings.ToUpper(p) || p == strings.ToLower(p) {
			w = strings.ToLower(p)
		}
		w = strings.ToUpper(w[:1]) + w[1:]
		if up, ok := initialisms[w]; ok {
			w = up
		}
		// Two numbers side by side would run together (X86_64 as X8664).
		if i > 0 && unicode.IsDigit(rune(w[0])) && unicode.IsDigit(rune(parts[i-1][len(parts[i-1])-1])) {
			b.WriteByte('_')
		}
		b.WriteString(w)
	}
	return b.String()
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// writeDoc writes a doc comment: lead (which names the identifier), then the
// first sentence of the model's documentation with its HTML removed.
func writeDoc(b *bytes.Buffer, indent, lead, modelDoc string) {
	text := firstSentence(modelDoc)
	switch {
	case lead != "" && text != "":
		text = lead + " " + text
	case lead != "":
		text = lead
	}
	if text == "" {
		return
	}
	for _, line := range wrap(text, 76-len(indent)) {
		b.WriteString(indent + "// " + line + "\n")
	}
}

func firstSentence(doc string) string {
	text := tagRE.ReplaceAllString(doc, " ")
	text = html.UnescapeString(text)
	text = strings.TrimSpace(spaceRE.ReplaceAllString(text, " "))
	for i := 0; i+1 < len(text); i++ {
		if text[i] == '.' && text[i+1] == ' ' && i > 20 {
			return text[:i+1]
		}
	}
	return text
}

func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
