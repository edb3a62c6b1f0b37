package ecs

import "fmt"

// checkRegistration refuses what RegisterTaskDefinition refuses, before
// anything is stored: a task definition with error findings for the launch
// types it requires (EC2 when it names none). The error is a
// ClientException whose message is ECS's text for the first error, where
// ECS has one, and which wraps ErrInvalid and the *ValidationError with
// every finding.
func checkRegistration(td *TaskDefinition) error {
	findings := ValidateTaskDefinition(td)
	err := findings.Err()
	if err == nil {
		return nil
	}
	msg := ""
	for _, f := range findings {
		if f.Severity == SeverityError {
			msg = f.APIMessage
			if msg == "" {
				msg = f.Message
			}
			break
		}
	}
	return NewAPIError(ClientException, msg, fmt.Errorf("%w: %w", ErrInvalid, err))
}
