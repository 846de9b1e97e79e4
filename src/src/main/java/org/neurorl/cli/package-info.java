/** The {@code neurorl} command line: {@code simulate}, {@code info}. */
package org.neurorl.cli;
