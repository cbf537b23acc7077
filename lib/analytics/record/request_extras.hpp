#pragma once

// What a format parser extracts besides the columns (parse/), for the
// enricher to derive columns from (enrich/): below both, so neither includes
// the other.

#include <string>
#include <vector>

namespace analytics::record {

// Request facts that are not columns themselves.
struct RequestExtras {
    std::string target;           // request target as logged ("/p?q" or an absolute URL)
    bool explicit_params = false; // request_details already holds the parameters (OTel)
    std::string user_field;       // CLF user, possibly "name|org|ROLE_A,ROLE_B"
    std::string forwarded_for;    // X-Forwarded-For
    std::string real_ip;          // X-Real-IP
    std::string origin;           // Origin header
    std::string app_path;         // app path from a regex group or --extra, any form
    std::string app_id;           // explicit app_id (regex group or --extra)
    bool app_path_is_root = false;
    // Values the parser stored as NULL (a number out of range, "NaN"): one
    // reason each, counted as warnings by the enricher.
    std::vector<const char*> null_reasons;

    // Keeps the strings' buffers: called for every record.
    void clear() {
        target.clear();
        explicit_params = false;
        user_field.clear();
        forwarded_for.clear();
        real_ip.clear();
        origin.clear();
        app_path.clear();
        app_id.clear();
        app_path_is_root = false;
        null_reasons.clear();
    }
};

} // namespace analytics::record
