#include <analytics/record/access_record.hpp>

#include <string_view>

namespace analytics::record {

void AccessRecord::clear() noexcept {
    id.clear();
    ts_us = 0;
    for (Nullable* field : {&message,
                            &app_id,
                            &app_path,
                            &app_name,
                            &user_id,
                            &user_name,
                            &org_id,
                            &org_name,
                            &auth_method,
                            &request_method,
                            &request_path,
                            &request_query_string,
                            &client_ip,
                            &server_address,
                            &visit_token,
                            &user_agent,
                            &user_agent_family,
                            &user_agent_version,
                            &os_family,
                            &os_version,
                            &device_family,
                            &device_brand,
                            &device_model,
                            &device_type,
                            &referrer,
                            &referring_domain,
                            &source_host,
                            &utm_source,
                            &utm_medium,
                            &utm_term,
                            &utm_content,
                            &utm_campaign,
                            &client_name,
                            &client_version,
                            &client_channel,
                            &client_instance}) {
        field->reset();
    }
    roles.clear();
    roles_null = true;
    request_details.clear();
    context_data.clear();
    response_time.reset();
    response_size.reset();
    status_code.reset();
    api_key_id.reset();
    tier_id.reset();
}

namespace {

Nullable* text_column(AccessRecord& r, std::string_view name) {
    struct Column {
        std::string_view name;
        Nullable AccessRecord::*member;
    };

    static constexpr Column columns[] = {
        {"message", &AccessRecord::message},
        {"app_id", &AccessRecord::app_id},
        {"app_path", &AccessRecord::app_path},
        {"app_name", &AccessRecord::app_name},
        {"user_id", &AccessRecord::user_id},
        {"user_name", &AccessRecord::user_name},
        {"org_id", &AccessRecord::org_id},
        {"org_name", &AccessRecord::org_name},
        {"auth_method", &AccessRecord::auth_method},
        {"request_method", &AccessRecord::request_method},
        {"client_ip", &AccessRecord::client_ip},
        {"server_address", &AccessRecord::server_address},
        {"visit_token", &AccessRecord::visit_token},
        {"user_agent", &AccessRecord::user_agent},
        {"referrer", &AccessRecord::referrer},
        {"referring_domain", &AccessRecord::referring_domain},
        {"source_host", &AccessRecord::source_host},
        {"utm_source", &AccessRecord::utm_source},
        {"utm_medium", &AccessRecord::utm_medium},
        {"utm_term", &AccessRecord::utm_term},
        {"utm_content", &AccessRecord::utm_content},
        {"utm_campaign", &AccessRecord::utm_campaign},
        {"client_name", &AccessRecord::client_name},
        {"client_version", &AccessRecord::client_version},
        {"client_channel", &AccessRecord::client_channel},
        {"client_instance", &AccessRecord::client_instance},
        {"user_agent_family", &AccessRecord::user_agent_family},
        {"user_agent_version", &AccessRecord::user_agent_version},
        {"os_family", &AccessRecord::os_family},
        {"os_version", &AccessRecord::os_version},
        {"device_family", &AccessRecord::device_family},
        {"device_brand", &AccessRecord::device_brand},
        {"device_model", &AccessRecord::device_model},
        {"device_type", &AccessRecord::device_type},
    };
    for (const auto& column : columns) {
        if (column.name == name) {
            return &(r.*column.member);
        }
    }
    return nullptr;
}

} // namespace

bool set_column(AccessRecord& record, std::string_view column, std::string_view value) {
    if (Nullable* field = text_column(record, column)) {
        field->set_or_null(value);
        return true;
    }
    return false;
}

bool null_column(AccessRecord& record, std::string_view column) {
    if (Nullable* field = text_column(record, column)) {
        field->reset();
        return true;
    }
    if (column == "roles") {
        record.roles.clear();
        record.roles_null = true;
        return true;
    }
    return false;
}

void set_roles(AccessRecord& record, std::string_view list) {
    record.roles.clear();
    std::size_t pos = 0;
    while (pos <= list.size()) {
        std::size_t end = list.find(',', pos);
        if (end == std::string_view::npos) {
            end = list.size();
        }
        std::string_view role = list.substr(pos, end - pos);
        while (!role.empty() && role.front() == ' ') {
            role.remove_prefix(1);
        }
        while (!role.empty() && role.back() == ' ') {
            role.remove_suffix(1);
        }
        if (!role.empty()) {
            record.roles.emplace_back(role);
        }
        pos = end + 1;
    }
    record.roles_null = record.roles.empty();
}

} // namespace analytics::record
