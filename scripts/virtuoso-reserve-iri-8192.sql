-- Virtuoso 7.2.0 to 7.2.7: never give an IRI the IRI id 8192.
--
-- Virtuoso reserves IRI id 8192 (#i8192, its graph-security "private graphs" id) but before
-- 7.2.8 its allocator could still hand it to a new IRI (rdf_new_iri_id in libsrc/Wi/rdf_core.c;
-- fixed by commit 2dc453bab, October 2022). When that IRI names a graph, updates into it that name
-- several graphs or hold blank nodes fail (after writing) with
-- "Bad argument to iri_to_id (), 'nodeID://8192' is not valid bnode IRI".
-- A new database's first IRIs take ids from about 470 up, so a fresh server reaches 8192 after a
-- few thousand new IRIs.
--
-- This moves each of the 19 IRI id sequences past 8192 where it is below (a sequence already
-- past it is left as it is), so that no IRI gets that id. Run it once, as dba, before loading
-- (in isql-vt: LOAD scripts/virtuoso-reserve-iri-8192.sql;). The last query names the IRI that
-- already holds 8192, if one does: then it is too late for this database.

select sequence_set ('__IRI0', 8193, 1);
select sequence_set ('__IRI1', 8193, 1);
select sequence_set ('__IRI2', 8193, 1);
select sequence_set ('__IRI3', 8193, 1);
select sequence_set ('__IRI4', 8193, 1);
select sequence_set ('__IRI5', 8193, 1);
select sequence_set ('__IRI6', 8193, 1);
select sequence_set ('__IRI7', 8193, 1);
select sequence_set ('__IRI8', 8193, 1);
select sequence_set ('__IRI9', 8193, 1);
select sequence_set ('__IRI10', 8193, 1);
select sequence_set ('__IRI11', 8193, 1);
select sequence_set ('__IRI12', 8193, 1);
select sequence_set ('__IRI13', 8193, 1);
select sequence_set ('__IRI14', 8193, 1);
select sequence_set ('__IRI15', 8193, 1);
select sequence_set ('__IRI16', 8193, 1);
select sequence_set ('__IRI17', 8193, 1);
select sequence_set ('__IRI18', 8193, 1);
select 'IRI id 8192 is held by', RP_NAME || subseq (RI_NAME, 4)
  from DB.DBA.RDF_IRI, DB.DBA.RDF_PREFIX
  where RI_ID = iri_id_from_num (8192)
    and RP_ID = RI_NAME[0] * 16777216 + RI_NAME[1] * 65536 + RI_NAME[2] * 256 + RI_NAME[3];
