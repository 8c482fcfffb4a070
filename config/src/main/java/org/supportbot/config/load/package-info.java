/**
 * Loading policies from YAML with every problem reported at once (file, line, path, fix).
 * Start at {@link org.supportbot.config.load.PolicyLoader}.
 */
package org.supportbot.config.load;
