/**
 * Time logged against a case (Atollon): rounding up to the billing increment and classifying each
 * entry by the policy's charge zones as charged or free under the organization's contract.
 */
package org.supportbot.core.billing;
