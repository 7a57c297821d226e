// Module placeholder: code lands with its issue.
