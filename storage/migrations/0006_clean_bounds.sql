-- Bounds on input: names without control or direction-override
-- characters and at most 256 characters, descriptions likewise (line
-- breaks kept), clock stamps whose node is a device id (at most 64
-- letters, digits or '-', and at most 8 repair marks). Stored values that
-- earlier versions accepted are cleaned by the Go step registered for this
-- migration (cleanBounds in storage/clean.go), in the same transaction,
-- with the same rules as the server's (domain.CleanName, CleanDescription,
-- CleanStamp), so device and server end with the same values. This file
-- only records the step.
SELECT 1;
