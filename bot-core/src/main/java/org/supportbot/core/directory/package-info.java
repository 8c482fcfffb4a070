/**
 * Who is who: organizations bound to a support policy, their named contacts (within the policy's
 * contact limit), and the vendor's engineers, all known by platform-neutral {@link org.supportbot.core.directory.Identity identities}.
 */
package org.supportbot.core.directory;
