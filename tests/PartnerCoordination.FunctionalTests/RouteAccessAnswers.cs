namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// What the API answered before access moved into the route-group filters, recorded from that code: one line per
/// request of <see cref="RouteAccessTests"/>, ids named by role (T the trajectory, LEAD, UNKNOWN, ...).
/// </summary>
internal static class RouteAccessAnswers
{
    public const string Expected = """
        outsider GET /tasks: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST /tasks: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        observer POST /tasks: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator GET /tasks: 200 
        operator POST /tasks: 403 This is not yours to see or change. | Items in a trajectory are added by its partners, not by the platform operator. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead GET unknown trajectory /tasks: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator GET unknown trajectory /tasks: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST invalid /tasks: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider GET /activities: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST /activities: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        observer POST /activities: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator GET /activities: 200 
        operator POST /activities: 403 This is not yours to see or change. | Items in a trajectory are added by its partners, not by the platform operator. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead GET unknown trajectory /activities: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator GET unknown trajectory /activities: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST invalid /activities: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider GET /communication-plan: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST /communication-plan/entries: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        observer POST /communication-plan/entries: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator GET /communication-plan: 200 
        operator POST /communication-plan/entries: 403 This is not yours to see or change. | Items in a trajectory are added by its partners, not by the platform operator. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead GET unknown trajectory /communication-plan: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator GET unknown trajectory /communication-plan: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST invalid /communication-plan/entries: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider GET /interests: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST /interests: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        observer POST /interests: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator GET /interests: 200 
        operator POST /interests: 403 This is not yours to see or change. | Items in a trajectory are added by its partners, not by the platform operator. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead GET unknown trajectory /interests: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator GET unknown trajectory /interests: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST invalid /interests: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider GET /agreements: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST /agreements: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        observer POST /agreements: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator GET /agreements: 200 
        operator POST /agreements: 403 This is not yours to see or change. | Items in a trajectory are added by its partners, not by the platform operator. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead GET unknown trajectory /agreements: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator GET unknown trajectory /agreements: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST invalid /agreements: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider GET /private-notes: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST /private-notes: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        observer POST /private-notes: 201 
        operator GET /private-notes: 403 Forbidden | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.4
        operator POST /private-notes: 403 Forbidden | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.4
        lead GET unknown trajectory /private-notes: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator GET unknown trajectory /private-notes: 403 Forbidden | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.4
        outsider POST invalid /private-notes: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider GET /advice-requests: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST /advice-requests: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        observer POST /advice-requests: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator GET /advice-requests: 200 
        operator POST /advice-requests: 403 This is not yours to see or change. | Items in a trajectory are added by its partners, not by the platform operator. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead GET unknown trajectory /advice-requests: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator GET unknown trajectory /advice-requests: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider POST invalid /advice-requests: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead GET /tasks/id: 200 
        outsider GET /tasks/id: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead GET /tasks/unknown: 404 The task was not found. | There is no task with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead PUT /tasks/id: 403 This is not yours to see or change. | Only the partner that recorded this task changes it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        observer PUT /tasks/id: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator PUT /tasks/id: 403 This is not yours to see or change. | Items in a trajectory are added by its partners, not by the platform operator. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead PUT /tasks/unknown: 404 The task was not found. | There is no task with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead DELETE /tasks/id: 403 This is not yours to see or change. | Only the partner that recorded this task changes it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        observer DELETE /tasks/id: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead DELETE /tasks/unknown: 404 The task was not found. | There is no task with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead PUT /tasks/id/status: 403 This is not yours to see or change. | Only the partner that set the task, or the partner it is assigned to, moves its status. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        observer PUT /tasks/id/status: 403 This is not yours to see or change. | Only the partner that set the task, or the partner it is assigned to, moves its status. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        outsider PUT /tasks/id/status: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        contrib PUT /tasks/id/status: 200 
        contrib DELETE /tasks/id: 204 
        lead GET /activities/id: 200 
        outsider GET /activities/id: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead GET /activities/unknown: 404 The activity was not found. | There is no activity with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead PUT /activities/id: 403 This is not yours to see or change. | Only the partner that recorded this activity changes it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        observer PUT /activities/id: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator PUT /activities/id: 403 This is not yours to see or change. | Items in a trajectory are added by its partners, not by the platform operator. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead PUT /activities/unknown: 404 The activity was not found. | There is no activity with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead DELETE /activities/id: 403 This is not yours to see or change. | Only the partner that recorded this activity changes it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        observer DELETE /activities/id: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead DELETE /activities/unknown: 404 The activity was not found. | There is no activity with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        contrib DELETE /activities/id: 204 
        lead GET /communication-plan/entries/id: 200 
        outsider GET /communication-plan/entries/id: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead GET /communication-plan/entries/unknown: 404 The communication plan entry was not found. | There is no communication plan entry with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead PUT /communication-plan/entries/id: 403 This is not yours to see or change. | Only the partner that recorded this communication plan entry changes it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        observer PUT /communication-plan/entries/id: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator PUT /communication-plan/entries/id: 403 This is not yours to see or change. | Items in a trajectory are added by its partners, not by the platform operator. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead PUT /communication-plan/entries/unknown: 404 The communication plan entry was not found. | There is no communication plan entry with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead DELETE /communication-plan/entries/id: 403 This is not yours to see or change. | Only the partner that recorded this communication plan entry changes it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        observer DELETE /communication-plan/entries/id: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead DELETE /communication-plan/entries/unknown: 404 The communication plan entry was not found. | There is no communication plan entry with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        contrib DELETE /communication-plan/entries/id: 204 
        lead GET /interests/id: 200 
        outsider GET /interests/id: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead GET /interests/unknown: 404 The interest was not found. | There is no interest with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead PUT /interests/id: 403 This is not yours to see or change. | Only the partner that recorded this interest changes it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        observer PUT /interests/id: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator PUT /interests/id: 403 This is not yours to see or change. | Items in a trajectory are added by its partners, not by the platform operator. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead PUT /interests/unknown: 404 The interest was not found. | There is no interest with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead DELETE /interests/id: 403 This is not yours to see or change. | Only the partner that recorded this interest changes it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        observer DELETE /interests/id: 403 This is not yours to see or change. | A partner with role 'observer' reads this trajectory but adds nothing to it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead DELETE /interests/unknown: 404 The interest was not found. | There is no interest with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        contrib DELETE /interests/id: 204 
        lead GET /agreements/id: 200 
        outsider GET /agreements/id: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead GET /agreements/unknown: 404 The agreement was not found. | There is no agreement with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead PUT /agreements/id: 405 Method Not Allowed | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.6
        observer PUT /agreements/id: 405 Method Not Allowed | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.6
        operator PUT /agreements/id: 405 Method Not Allowed | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.6
        lead PUT /agreements/unknown: 405 Method Not Allowed | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.6
        lead DELETE /agreements/id: 405 Method Not Allowed | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.6
        observer DELETE /agreements/id: 405 Method Not Allowed | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.6
        lead DELETE /agreements/unknown: 405 Method Not Allowed | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.6
        contrib DELETE /agreements/id: 405 Method Not Allowed | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.6
        outsider DELETE note: 404 The note was not found. | There is no note with id 'NOTE'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        contrib DELETE note: 404 The note was not found. | There is no note with id 'NOTE'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead DELETE note unknown trajectory: 404 The note was not found. | There is no note with id 'NOTE'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator DELETE note: 403 Forbidden | - | - | https://tools.ietf.org/html/rfc9110#section-15.5.4
        contrib PUT advice: 403 This is not yours to see or change. | Only the tenants' organisation asked for advice gives it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        outsider PUT advice: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        tenants PUT decision: 403 This is not yours to see or change. | Only the landlord that asked for the advice decides on it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        lead PUT decision: 422 The request cannot be processed. | - | {"followsAdvice":["No advice has been given yet to follow or depart from."]} | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21
        lead PUT unknown advice: 404 The advice request was not found. | There is no advice request with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        contrib POST advice (municipality): 403 This is not yours to see or change. | Advice under the Overlegwet is asked by a landlord: a housing corporation. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator GET advice: 200 
        contrib PUT bp: 403 This is not yours to see or change. | Only the partner that published this best practice changes or withdraws it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator PUT bp: 403 This is not yours to see or change. | Only the partner that published this best practice changes or withdraws it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        contrib DELETE bp: 403 This is not yours to see or change. | Only the partner that published this best practice changes or withdraws it. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        contrib GET bp unknown: 404 The best practice was not found. | There is no best practice with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        contrib PUT bp unknown: 404 The best practice was not found. | There is no best practice with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead PUT bp: 200 
        lead DELETE bp: 204 
        outsider GET trajectory: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator GET trajectory: 200 
        operator GET unknown trajectory: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        observer GET trajectory: 200 
        observer PUT member: 403 This is not yours to see or change. | A partner with role 'observer' cannot change who takes part in this trajectory. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        contrib PUT member: 403 This is not yours to see or change. | A partner with role 'contributor' cannot change who takes part in this trajectory. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        outsider PUT member: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        observer PUT phase: 403 This is not yours to see or change. | A partner with role 'observer' cannot change who takes part in this trajectory. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        outsider PUT phase: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        observer GET audit: 403 This is not yours to see or change. | A partner with role 'observer' cannot change who takes part in this trajectory. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        outsider GET audit: 404 The trajectory was not found. | There is no trajectory with id 'T'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator GET audit: 200 
        operator PUT member: 200 
        operator DELETE member: 204 
        lead PUT phase: 200 
        operator PUT phase: 200 
        lead PUT phase unknown: 404 The trajectory was not found. | There is no trajectory with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        outsider GET partner clients: 403 This is not yours to see or change. | Only partner LEAD itself manages this. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        outsider POST partner contacts: 403 This is not yours to see or change. | Only partner LEAD itself manages this. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        outsider GET partner staff: 403 This is not yours to see or change. | Only partner LEAD itself manages this. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4
        operator GET unknown partner clients: 404 The partner was not found. | There is no partner with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator GET unknown partner staff: 404 The partner was not found. | There is no partner with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        operator POST unknown partner contacts: 404 The partner was not found. | There is no partner with id 'UNKNOWN'. | - | https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
        lead GET own clients: 200 
        lead DELETE unknown client: 404 The client was not found. | Partner LEAD has no active client 'nope'. | - | https://tools.ietf.org/html/rfc9110#section-15.5.5
        """;
}
