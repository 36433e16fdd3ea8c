@NullMarked
package com.relaycrm.profiles.building;

import org.jspecify.annotations.NullMarked;
