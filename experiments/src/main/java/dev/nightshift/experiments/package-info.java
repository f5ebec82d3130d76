/**
 * The domain core of Nightshift: experiments, the research questions asked about them, the proposals that
 * try to answer them, the runs that execute proposals, and the overnight loops that drive it all. Every
 * other module depends on this one and on nothing beside it.
 */
package dev.nightshift.experiments;
