@NullMarked
package com.relaycrm.integrations.github;

import org.jspecify.annotations.NullMarked;
