package ecs

import "strings"

// The forms the API documents for names, images and other strings,
// written as byte tests rather than regular expressions: they run on
// every validation and allocate nothing.

// maxNameLength is the limit on family, container and volume names.
const maxNameLength = 255

// isNameByte reports whether c may appear in a family, container, volume
// or link name: letters, digits, underscores and hyphens.
func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// isName reports whether s is 1 to 255 letters, digits, underscores and
// hyphens.
func isName(s string) bool {
	if len(s) == 0 || len(s) > maxNameLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}

// isImageByte reports whether c may appear in an image reference: letters,
// digits, hyphens, underscores, colons, periods, slashes and number signs.
func isImageByte(c byte) bool {
	return isNameByte(c) || c == ':' || c == '.' || c == '/' || c == '#'
}

// imageProblem returns why image is not a reference the API accepts, or ""
// when it is: up to 255 of the allowed characters, or (digest form) up to
// 255 of them before "@" and "sha256:" with 64 hexadecimal digits after it.
func imageProblem(image string) string {
	name, digest, hasDigest := strings.Cut(image, "@")
	if name == "" {
		return "it has no repository name"
	}
	if len(name) > maxNameLength {
		if hasDigest {
			return "the part before \"@\" is longer than 255 characters"
		}
		return "it is longer than 255 characters"
	}
	for i := 0; i < len(name); i++ {
		if !isImageByte(name[i]) {
			return "it contains " + quote(name[i:i+1]) + "; only letters, digits, hyphens, underscores, colons, periods, slashes and number signs are allowed"
		}
	}
	if hasDigest && !isSHA256Digest(digest) {
		return "the digest is not \"sha256:\" followed by 64 hexadecimal digits"
	}
	return ""
}

func isSHA256Digest(d string) bool {
	hex, ok := strings.CutPrefix(d, "sha256:")
	if !ok || len(hex) != 64 {
		return false
	}
	for i := 0; i < len(hex); i++ {
		c := hex[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// isDNSSearchDomain reports whether s matches
// ^[a-zA-Z0-9-.]{0,253}[a-zA-Z0-9]$.
func isDNSSearchDomain(s string) bool {
	if len(s) == 0 || len(s) > 254 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && (i == len(s)-1 || c != '-' && c != '.') {
			return false
		}
	}
	return true
}

// isPortMappingName reports whether s is up to 64 lowercase letters,
// digits, underscores and hyphens, not starting with a hyphen.
func isPortMappingName(s string) bool {
	if len(s) == 0 || len(s) > 64 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// parseLink splits a link "name" or "name:alias" and reports whether both
// parts are names and the whole is at most 255 characters.
func parseLink(link string) (name string, ok bool) {
	name, alias, hasAlias := strings.Cut(link, ":")
	if len(link) > maxNameLength || !isName(name) || hasAlias && !isName(alias) {
		return name, false
	}
	return name, true
}

// parsePortRange reads a containerPortRange "first-last" with
// 1 <= first < last <= 65535.
func parsePortRange(s string) (first, last int, ok bool) {
	a, b, found := strings.Cut(s, "-")
	if !found {
		return 0, 0, false
	}
	first, ok1 := smallUint(a)
	last, ok2 := smallUint(b)
	if !ok1 || !ok2 || first < 1 || last > 65535 || first >= last {
		return first, last, false
	}
	return first, last, true
}

// smallUint parses 1 to 9 decimal digits.
func smallUint(s string) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseTaskCPU is ParseCPU with a fast path for plain unit counts.
func parseTaskCPU(s string) (int, error) {
	if n, ok := smallUint(s); ok && n > 0 {
		return n, nil
	}
	return ParseCPU(s)
}

// parseTaskMemory is ParseMemory with a fast path for plain MiB counts.
func parseTaskMemory(s string) (int, error) {
	if n, ok := smallUint(s); ok && n > 0 {
		return n, nil
	}
	return ParseMemory(s)
}

// hasFoldPrefix reports whether s starts with prefix, ignoring case.
func hasFoldPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
